namespace Anvil.Domain.Allocation;

/// <summary>Which MAAS form the parameters belong to; they accept different fields.</summary>
public enum ConstraintFormKind
{
    /// <summary><c>machines?op=allocate</c> (AcquireNodeForm): adds <c>name</c> and <c>system_id</c>.</summary>
    Allocate,

    /// <summary>The read filters of <c>nodes/</c> and <c>machines/</c> GET (ReadNodesForm).</summary>
    Read,
}
