using RevokeFunctions.Requests;

namespace RevokeFunctions.Queue;

/// <summary>
/// Names one target of a payload by its validated identifiers, e.g. <c>UserPrincipalName:alice@contoso.com</c>. A
/// retry re-parses the original body and keeps only the targets whose keys it lists, so the ones already finished are
/// never worked on again. Keys are built from identifiers that passed validation, which never hold a blank or a
/// <c>|</c>, so a space-separated list of them parses back unambiguously.
/// </summary>
public static class TargetKey
{
    public static string For(RequestedTarget target) => string.Join('|', target.Identifiers.Select(i => i.ToString()));

    public static string Join(IEnumerable<string> keys) => string.Join(' ', keys);

    public static IReadOnlyList<string> Split(string? joined) =>
        string.IsNullOrWhiteSpace(joined) ? [] : joined.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
