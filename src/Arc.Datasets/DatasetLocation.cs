namespace Arc.Datasets;

/// <summary>Where datasets are published and opened from: local folders (a path or a <c>file://</c> URI) in this version.</summary>
internal static class DatasetLocation
{
    /// <summary>The local folder <paramref name="uri"/> names.</summary>
    /// <exception cref="NotSupportedException">Another scheme (<c>s3://</c>, an OCI reference): not supported yet.</exception>
    public static string ToLocalPath(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return Path.GetFullPath(uri);
        if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return Path.GetFullPath(new Uri(uri).LocalPath);
        throw new NotSupportedException(
            $"{uri[..scheme]}:// is not a dataset location yet: this version publishes to and opens from local folders (a path or file://); S3 and OCI destinations come later");
    }

    /// <summary>Throws unless <paramref name="name"/> is a dataset name or version: letters, digits, '.', '_', '-', starting with a letter or digit, at most 128 characters.</summary>
    public static void CheckName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name, what);
        bool ok = name.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(name[0])
                  && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!ok)
            throw new ArgumentException($"'{name}' is not a valid dataset {what}: use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128 characters); it names a folder", what);
    }
}
