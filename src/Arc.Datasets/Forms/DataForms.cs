using Arc.Types;

namespace Arc.Datasets;

/// <summary>The dataset form of each Arc data type.</summary>
internal static class DataForms
{
    /// <summary>The form of <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">A type datasets cannot store (a user's own data type).</exception>
    public static DataForm<T> For<T>() where T : IArcData<T>
    {
        object? form = typeof(T) == typeof(ImageData) ? new ImageForm()
            : typeof(T) == typeof(ClassData) ? new ClassForm()
            : typeof(T) == typeof(LabelData) ? new LabelForm()
            : typeof(T) == typeof(AudioData) ? new AudioForm()
            : typeof(T) == typeof(VideoData) ? new VideoForm()
            : typeof(T) == typeof(TextData) ? new TextForm()
            : typeof(T) == typeof(TableData) ? new TableForm()
            : null;
        return form as DataForm<T> ?? throw new NotSupportedException(
            $"{typeof(T).Name} cannot be stored in a dataset; datasets hold ImageData, ClassData, LabelData, AudioData, VideoData, TextData and TableData");
    }
}
