namespace RevokeFunctions.WriteBack;

/// <summary>A target's line as the record keeps it, with what has been sent about it.</summary>
/// <param name="NotifiedEvents">Webhook events already posted for this target.</param>
/// <param name="ManagerMail">Whether its manager was told: <c>Sent</c>, <c>NoManager</c>, or null.</param>
internal sealed record RecordedLine(OutcomeLine Line, IReadOnlySet<WebhookEvent> NotifiedEvents, ManagerMailResult? ManagerMail);
