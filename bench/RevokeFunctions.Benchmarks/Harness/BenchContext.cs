using RevokeFunctions.Revocation;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The context of one benchmark request in scenarios 2 and 3: a responder's native request over HTTP (a person, as
/// authenticated), with a fresh request ID. A person's requests are not storm-guarded; automated ones are, and would
/// be refused after <c>Guards:StormGuard:MaxUsers</c> users, which is the guard doing its job, not a figure.
/// </summary>
internal static class BenchContext
{
    public static RevocationContext Create() =>
        new(Guid.NewGuid().ToString("D"), RequestChannel.Http, DateTimeOffset.UtcNow)
        {
            CallerIsPerson = true,
            Requester = "soc-bench@contoso.com",
        };
}
