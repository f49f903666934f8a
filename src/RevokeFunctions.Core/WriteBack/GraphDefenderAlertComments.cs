using System.Text.RegularExpressions;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Models.Security;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using RevokeFunctions.Graph;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Defender XDR alert comments through Graph, <c>POST /security/alerts_v2/{alertId}/comments</c> with one
/// <c>alertComment</c> (least-privileged application permission: <c>SecurityAlert.ReadWrite.All</c>). The SDK's
/// generated method sends a list; the body is written here as the API documents it, a single object.
/// </summary>
public sealed partial class GraphDefenderAlertComments(GraphServiceClient graph) : IDefenderAlertComments
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary>Graph alert IDs are tokens such as <c>da637…_-7730…</c>; anything else is not sent.</summary>
    public static bool IsAlertId(string? value) => value is { Length: > 0 and <= 256 } && AlertIdShape().IsMatch(value);

    public async Task AddAsync(string alertId, string comment, CancellationToken cancellationToken)
    {
        if (!IsAlertId(alertId))
            throw new WriteBackException("the alert ID is not in Graph's form", null, isTransient: false);
        var request = graph.Security.Alerts_v2[alertId].Comments.ToPostRequestInformation([]);
        request.SetContentFromParsable(graph.RequestAdapter, "application/json",
            new AlertComment { OdataType = "microsoft.graph.security.alertComment", Comment = comment });
        try
        {
            await graph.RequestAdapter.SendNoContentAsync(request, ErrorMapping, cancellationToken);
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            throw WriteBackException.FromGraph(failure, ex);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AlertIdShape();
}
