namespace Arc.Artifacts;

/// <summary>The artifact types and media types of what Arc saves (see docs/artifacts.md, "Model and job artifacts").</summary>
public static class ArcArtifactTypes
{
    /// <summary>A saved model: config, weights, hyperparameters, code bundle, optional evaluation report.</summary>
    public const string Model = "application/vnd.arc.model.v1";

    /// <summary>A saved job: config, parameters, code bundle.</summary>
    public const string Job = "application/vnd.arc.job.v1";

    /// <summary>The config blob of a model or job artifact (<see cref="SavedArtifactConfig"/> as JSON).</summary>
    public const string ConfigMediaType = "application/vnd.arc.config.v1+json";

    /// <summary>The model's weights, exactly as its <c>SaveWeightsAsync</c> wrote them.</summary>
    public const string WeightsMediaType = "application/vnd.arc.weights.v1";

    /// <summary>Hyperparameters (model) or parameters (job) in their wire form: one MessagePack map.</summary>
    public const string ParametersMediaType = "application/vnd.arc.parameters.v1+msgpack";

    /// <summary>A deterministic tar of build output files (the code bundle's app or packages part).</summary>
    public const string BundleMediaType = "application/vnd.arc.bundle.v1.tar";

    /// <summary>An evaluation report as JSON.</summary>
    public const string EvaluationMediaType = "application/vnd.arc.evaluation.v1+json";

    /// <summary>Layer titles (file names) of Arc's artifacts.</summary>
    public static class Titles
    {
        /// <summary>The weights layer.</summary>
        public const string Weights = "weights.bin";

        /// <summary>The hyperparameters layer of a model.</summary>
        public const string Hyperparameters = "hyperparameters.msgpack";

        /// <summary>The parameters layer of a job.</summary>
        public const string Parameters = "parameters.msgpack";

        /// <summary>The code bundle's files built from the user's projects.</summary>
        public const string AppBundle = "bundle-app.tar";

        /// <summary>The code bundle's files that come from NuGet packages (shared by every model of the same app).</summary>
        public const string PackagesBundle = "bundle-packages.tar";

        /// <summary>The evaluation report.</summary>
        public const string Evaluation = "evaluation.json";
    }
}
