return await RevokeFunctions.Benchmarks.BenchCommand.RunAsync(args);
