using RevokeFunctions.Cli;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Tests.Cli;

/// <summary>
/// Runs <c>revoke dlq …</c> in-process through the real command line (parser, validators, actions) on a dead-letter
/// queue built from the tests' Service Bus types instead of the configured namespace.
/// </summary>
public static class DlqCli
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(DeadLetterQueue tool, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(Stream.Null, output, error) { DeadLetters = tool };
        var exit = await CliApplication.RunAsync(["dlq", .. args], context, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
