using RevokeFunctions.Operations;

namespace RevokeFunctions.Cli;

/// <summary>
/// What a command reads, writes and connects to. The process gives the console; tests give writers of their own and,
/// for <c>dlq</c> and <c>smoke</c>, Service Bus and sign-in of their own, so every command line goes through the same
/// parser and actions either way.
/// </summary>
public sealed class CliContext(Stream input, TextWriter output, TextWriter error)
{
    public Stream Input { get; } = input ?? throw new ArgumentNullException(nameof(input));

    public TextWriter Output { get; } = output ?? throw new ArgumentNullException(nameof(output));

    public TextWriter Error { get; } = error ?? throw new ArgumentNullException(nameof(error));

    /// <summary>Progress is drawn only where a person watches: never into a file, a pipe or a test's writer.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>What <c>--since 2h</c> counts back from, and the clock of waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The dead-letter queue <c>dlq</c> works on; null opens the configured namespace signed in as the operator.
    /// </summary>
    public DeadLetterQueue? DeadLetters { get; init; }

    /// <summary><c>smoke</c>'s connections for its settings; null signs in as the operator and opens the real ones.</summary>
    public Func<Smoke.SmokeSettings, Smoke.SmokeConnections>? OpenSmoke { get; init; }
}
