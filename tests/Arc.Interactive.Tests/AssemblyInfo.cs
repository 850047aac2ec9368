// Arc's registry is process-wide, and these tests' kernels declare the same models: one test at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
