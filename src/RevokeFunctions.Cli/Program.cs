using RevokeFunctions.Cli;

return await CliApplication.RunAsync(args, Console.OpenStandardInput(), Console.Out, Console.Error, CancellationToken.None);
