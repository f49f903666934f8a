using RevokeFunctions.Cli;

// The first Ctrl+C asks the command to stop at a safe point (a resubmission finishes the dead letter in hand); a second one
// ends the process the usual way.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (stop.IsCancellationRequested)
        return;
    e.Cancel = true;
    stop.Cancel();
};
return await CliApplication.RunAsync(args, Console.OpenStandardInput(), Console.Out, Console.Error, stop.Token);
