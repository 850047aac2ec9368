// `train`, `eval`, `infer`, `preview` and `env` are the command line Arc.Generators writes from this program's [Model]
// and [Job] classes (docs/command-line.md); without a command the sample runs its own demonstration (Demonstration.cs).
return await ArcCommandLine.RunAsync(args, Arc.Samples.Mnist.Demonstration.RunAsync);
