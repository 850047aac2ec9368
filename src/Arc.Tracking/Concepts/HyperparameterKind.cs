namespace Arc.Tracking;

/// <summary>The type of a <see cref="HyperparameterValue"/>. Zero is no type: a default value is refused wherever one is stored.</summary>
public enum HyperparameterKind
{
    /// <summary>Text.</summary>
    String = 1,

    /// <summary>A 64-bit integer.</summary>
    Long = 2,

    /// <summary>A 64-bit floating-point number; NaN and ±infinity are kept as such.</summary>
    Double = 3,

    /// <summary>True or false.</summary>
    Bool = 4,
}
