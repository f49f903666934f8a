using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The text of a comment on the source: one line per target with its outcome and why, then what revocation does and
/// does not do. The Sentinel form is HTML in which everything that came from a payload or from Graph is encoded; the
/// Defender form is plain text. Nothing in it depends on when it is written, so the same state always reads the same.
/// </summary>
internal sealed class OutcomeSummary(string requestId, SourceReference? source, PayloadError? error, IReadOnlyList<OutcomeLine> lines)
{
    /// <summary>Sentinel keeps at most 30,000 characters per comment.</summary>
    public const int SentinelMaxLength = 30_000;

    /// <summary>Defender shows alert comments in a narrow pane; long ones are cut here rather than there.</summary>
    public const int DefenderMaxLength = 8_000;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public IReadOnlyList<OutcomeLine> Lines => lines;

    /// <summary>No target is waiting for a retry, a scheduled date or the proof of its revocation.</summary>
    public bool IsFinal => lines.All(l => l.State != OutcomeState.Pending && l.Verification != VerificationState.Pending);

    public string ToHtml()
    {
        var text = new StringBuilder(512);
        text.Append("<p><b>RevokeFunctions</b>: sign-in session revocation, request <code>")
            .Append(Html.Encode(requestId)).Append("</code>").Append(Html.Encode(SourceSuffix())).Append(".</p>");
        if (error is not null)
        {
            text.Append("<p>").Append(Html.Encode(RefusedWhole(error))).Append("</p>");
        }
        else
        {
            var footer = Footer(html: true);
            text.Append("<ul>");
            var shown = 0;
            foreach (var line in lines)
            {
                var item = new StringBuilder("<li><b>").Append(Html.Encode(line.Name)).Append("</b>");
                if (line.UserId is { } id && !string.Equals(id, line.Name, StringComparison.OrdinalIgnoreCase))
                    item.Append(" (").Append(Html.Encode(id)).Append(')');
                item.Append(": ").Append(Html.Encode(Describe(line))).Append("</li>");
                // Leave room for the closing list, the note on what was left out and the notice.
                if (text.Length + item.Length + footer.Length + 200 > SentinelMaxLength)
                    break;
                text.Append(item);
                shown++;
            }
            if (shown < lines.Count)
                text.Append("<li>").Append(Html.Encode(LeftOut(lines.Count - shown))).Append("</li>");
            text.Append("</ul>");
        }
        text.Append(Footer(html: true));
        return text.ToString();
    }

    public string ToText()
    {
        var text = new StringBuilder(512);
        text.Append("RevokeFunctions: sign-in session revocation, request ").Append(requestId).Append(SourceSuffix()).Append('.');
        var footer = Footer(html: false);
        if (error is not null)
        {
            text.Append('\n').Append(RefusedWhole(error));
        }
        else
        {
            var shown = 0;
            foreach (var line in lines)
            {
                var item = $"\n- {line.Name}: {Describe(line)}";
                if (text.Length + item.Length + footer.Length + 120 > DefenderMaxLength)
                    break;
                text.Append(item);
                shown++;
            }
            if (shown < lines.Count)
                text.Append("\n- ").Append(LeftOut(lines.Count - shown));
        }
        text.Append(footer);
        return text.ToString();
    }

    /// <summary>What happened to one target, in words: the outcome, then why.</summary>
    public static string Describe(OutcomeLine line)
    {
        var what = line.State switch
        {
            OutcomeState.DeadLettered => $"not revoked, dead-lettered for an operator ({line.DeadLetterReason ?? line.Reason})",
            OutcomeState.Pending when line.Outcome == Outcome.Deferred => "scheduled",
            OutcomeState.Pending => "not finished yet, retried automatically",
            _ => line.Outcome switch
            {
                Outcome.Revoked => "revoked",
                Outcome.AlreadyRevoked => "already revoked",
                Outcome.Refused => $"refused ({line.Reason})",
                Outcome.NotFound => $"not revoked ({line.Reason ?? ReasonCode.UserNotFound})",
                Outcome.Deferred => "scheduled",
                Outcome.WouldRevoke => "would be revoked (dry run)",
                Outcome.Superseded => "not revoked: a newer leaver message stands",
                Outcome.Cancelled => "not revoked: the leaver was rescinded",
                _ => $"failed ({line.Reason})",
            },
        };
        // The proof, once read back: Graph's own timestamp, or the warning that it never moved.
        if (line is { Outcome: Outcome.Revoked, State: OutcomeState.Final })
        {
            what = line.Verification switch
            {
                VerificationState.Verified => string.Create(CultureInfo.InvariantCulture,
                    $"{what}, verified: Graph shows sign-in sessions valid from {line.SessionsValidFrom:O}"),
                VerificationState.Unverified => string.Create(CultureInfo.InvariantCulture,
                    $"{what}, NOT verified: Graph's sign-in sessions timestamp did not move ({(line.SessionsValidFrom is { } at ? at.ToString("O", CultureInfo.InvariantCulture) : "unread")}); check the user"),
                _ => what,
            };
        }
        // A plain revocation needs no explanation; everything else says why.
        return (line.Outcome == Outcome.Revoked && line.State == OutcomeState.Final) || string.IsNullOrWhiteSpace(line.Detail)
            ? what + "."
            : $"{what}. {line.Detail}";
    }

    private string SourceSuffix()
    {
        if (source is null)
            return "";
        var number = source.Number is { Length: > 0 } n ? " #" + n : "";
        return $" from {source.Kind}{number}";
    }

    private static string RefusedWhole(PayloadError error) =>
        $"The request was refused as a whole ({error.Reason}); nobody was revoked. {error.Detail}";

    private string LeftOut(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"… and {count} more users: see GET /api/revocations/{requestId}.");

    private static string Footer(bool html) =>
        html ? "<p><i>" + Html.Encode(RevocationNotice.Text) + "</i></p>" : "\n" + RevocationNotice.Text;
}
