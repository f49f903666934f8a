using System.Text;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Cli;

/// <summary>
/// Pins every command's generated <c>--help</c>, as a person sees it from the built <c>revoke</c>: a renamed option,
/// a lost description or a changed default shows up here as a diff. After a deliberate change, rerun with
/// <c>REVOKE_PIN_HELP=1</c> to rewrite <c>help.txt</c>, and review the diff.
/// </summary>
public sealed class HelpTextTests
{
    private static readonly string[] Commands =
        ["", "run", "status", "dlq", "dlq list", "dlq show", "dlq resubmit", "dlq discard", "demo", "smoke", "completion"];

    private static string PinnedFile => Path.Combine(TestPaths.RepositoryRoot, "tests", "RevokeFunctions.Tests", "Cli", "help.txt");

    [Fact]
    public async Task Every_command_has_the_pinned_help_text_and_exit_code_0()
    {
        var runs = await Task.WhenAll(Commands.Select(async command =>
            (Command: command, Result: await CliProcess.RunBuiltAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]))));

        var actual = new StringBuilder();
        foreach (var (command, (exit, output, error)) in runs)
        {
            Assert.True(exit == 0, $"revoke {command} --help: exit {exit}: {error}");
            Assert.Equal("", error);
            actual.Append("## revoke ").Append(command).Append(command.Length > 0 ? " " : "").Append("--help\n");
            // Wrapped lines end in the wrapper's padding; what a reader sees does not.
            actual.AppendJoin('\n', output.Split('\n').Select(line => line.TrimEnd())).Append('\n');
        }
        if (Environment.GetEnvironmentVariable("REVOKE_PIN_HELP") == "1")
            await File.WriteAllTextAsync(PinnedFile, actual.ToString());

        Assert.Equal((await File.ReadAllTextAsync(PinnedFile)).ReplaceLineEndings("\n"), actual.ToString());
    }
}
