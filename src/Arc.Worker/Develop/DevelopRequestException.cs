namespace Arc.Worker.Develop;

/// <summary>
/// A develop request the worker refuses before running any of it (a path leaving the build folder, a digest that does
/// not match, a blob it does not hold): answered with <c>InvalidArgument</c>, not as a failure of the user's code.
/// </summary>
internal sealed class DevelopRequestException(string message) : Exception(message);
