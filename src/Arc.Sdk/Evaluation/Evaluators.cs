using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Which evaluator scores which target type. Built in, one for every Arc data type: <see cref="ClassData"/> →
/// <see cref="ClassificationEvaluator"/>, <see cref="LabelData"/> → <see cref="MultiLabelEvaluator"/>,
/// <see cref="ImageData"/>, <see cref="AudioData"/>, <see cref="VideoData"/> and <see cref="TableData"/> →
/// <see cref="RegressionEvaluator{Y}"/> (MSE, RMSE, MAE), <see cref="TextData"/> → <see cref="TextMatchEvaluator"/>.
/// Register your own for your own Y type once at start-up (no reflection involved):
/// <code>Evaluators.Register&lt;MyData&gt;(() =&gt; new MyEvaluator());</code>
/// A job can also choose per job by overriding <see cref="SupervisedJob{X,Y}.CreateEvaluator"/>.
/// </summary>
public static class Evaluators
{
    /// <summary>Makes <paramref name="factory"/> the evaluator for <typeparamref name="Y"/>, replacing any earlier one (built-ins included).</summary>
    public static void Register<Y>(Func<IEvaluator<Y>> factory) where Y : IArcData<Y>
    {
        ArgumentNullException.ThrowIfNull(factory);
        Volatile.Write(ref EvaluatorFactory<Y>.Current, factory);
    }

    /// <summary>Whether an evaluator is known for <typeparamref name="Y"/>.</summary>
    public static bool IsRegistered<Y>() where Y : IArcData<Y> => Volatile.Read(ref EvaluatorFactory<Y>.Current) is not null;

    /// <summary>A fresh evaluator for <typeparamref name="Y"/>.</summary>
    /// <exception cref="NotSupportedException">None is registered; the message says how to add one.</exception>
    public static IEvaluator<Y> Create<Y>() where Y : IArcData<Y>
    {
        var factory = Volatile.Read(ref EvaluatorFactory<Y>.Current)
            ?? throw new NotSupportedException(
                $"Arc has no evaluator for targets of type {typeof(Y).Name}. Built-in evaluators cover Arc's own data types; " +
                $"for {typeof(Y).Name} implement IEvaluator<{typeof(Y).Name}> and call Evaluators.Register<{typeof(Y).Name}>(() => new YourEvaluator()) " +
                "at start-up, or override CreateEvaluator() in your job.");
        return factory() ?? throw new InvalidOperationException($"the evaluator factory registered for {typeof(Y).Name} returned null");
    }

    /// <summary>One slot per target type: the generic static class gives a type-keyed table without dictionaries or reflection.</summary>
    private static class EvaluatorFactory<Y> where Y : IArcData<Y>
    {
        public static Func<IEvaluator<Y>>? Current = BuiltIn();

        // Y is exactly the tested type in each branch, so the casts through object always succeed.
        private static Func<IEvaluator<Y>>? BuiltIn()
        {
            if (typeof(Y) == typeof(ImageData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<ImageData>>)RegressionEvaluators.Image;
            if (typeof(Y) == typeof(AudioData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<AudioData>>)RegressionEvaluators.Audio;
            if (typeof(Y) == typeof(VideoData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<VideoData>>)RegressionEvaluators.Video;
            if (typeof(Y) == typeof(TableData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<TableData>>)RegressionEvaluators.Table;
            if (typeof(Y) == typeof(TextData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<TextData>>)(() => new TextMatchEvaluator());
            if (typeof(Y) == typeof(ClassData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<ClassData>>)(() => new ClassificationEvaluator());
            if (typeof(Y) == typeof(LabelData))
                return (Func<IEvaluator<Y>>)(object)(Func<IEvaluator<LabelData>>)(() => new MultiLabelEvaluator());
            return null;
        }
    }
}
