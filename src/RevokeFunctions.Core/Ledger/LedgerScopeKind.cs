namespace RevokeFunctions.Ledger;

/// <summary>What makes two requests "the same request again", strongest first.</summary>
public enum LedgerScopeKind
{
    /// <summary>The caller's key: the HTTP <c>Idempotency-Key</c> header or the queue's <c>MessageId</c>.</summary>
    Key,

    /// <summary>The source's own ID (incident, alert, detection, HR ticket, CloudEvent id) and the event time.</summary>
    Source,

    /// <summary>Neither: only this request's own retries are recognised.</summary>
    Request,
}
