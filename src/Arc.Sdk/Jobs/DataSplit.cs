namespace Arc.Sdk;

/// <summary>Which part of a job's data to read.</summary>
public enum DataSplit
{
    /// <summary>Data to fit on.</summary>
    Train,
    /// <summary>Data to tune on.</summary>
    Validation,
    /// <summary>Held-out data to report on.</summary>
    Test,
}
