namespace Arc.Types;

/// <summary>
/// Optionally implemented by a model (local or remote client) that knows where it computes; evaluation reports
/// record it in <c>EvalReport.Device</c> (Arc.Sdk).
/// </summary>
public interface IDeviceInfo
{
    /// <summary>The device, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    string DeviceName { get; }
}
