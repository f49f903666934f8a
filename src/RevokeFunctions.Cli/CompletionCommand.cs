using System.CommandLine;

namespace RevokeFunctions.Cli;

/// <summary>
/// <c>revoke completion bash|zsh|pwsh</c>: a script that wires the shell's tab completion to System.CommandLine's own
/// completer (the <c>[suggest:&lt;position&gt;]</c> directive every <c>revoke</c> answers), so commands, options and
/// values such as <c>--output json</c> complete without installing anything else.
/// </summary>
internal static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["bash"] = """
            # revoke: tab completion (bash). Add to ~/.bashrc: source <(revoke completion bash)
            _revoke_complete() {
              local IFS=$'\n'
              COMPREPLY=($(revoke "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
            }
            complete -o default -F _revoke_complete revoke
            """,
        ["zsh"] = """
            # revoke: tab completion (zsh). Add to ~/.zshrc: source <(revoke completion zsh)
            _revoke_complete() {
              local -a suggestions
              suggestions=("${(@f)$(revoke "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
              compadd -a suggestions
            }
            compdef _revoke_complete revoke
            """,
        ["pwsh"] = """
            # revoke: tab completion (PowerShell). Add to $PROFILE: revoke completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName revoke -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                revoke "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "The shell to complete in" };
        shell.AcceptOnlyFromAmong([.. Scripts.Keys]);
        var command = new Command("completion", "Print a shell script that completes revoke's commands and options on Tab") { shell };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync(Scripts[parse.GetRequiredValue(shell)].AsMemory(), cancellationToken);
            return CliExitCode.Success;
        });
        return command;
    }
}
