namespace Anvil.Rack.Power;

/// <summary>Why a power action failed, in terms an operator can act on.</summary>
public enum PowerErrorKind
{
    /// <summary>The BMC refused the credentials (user, password, K_g) or the privilege level.</summary>
    AuthenticationFailed,

    /// <summary>No answer from the BMC within the deadline, or no route to it.</summary>
    Unreachable,

    /// <summary>The BMC answered with something this driver cannot understand, or an error code.</summary>
    ProtocolError,

    /// <summary>The BMC or the driver cannot do this (e.g. PXE on next boot).</summary>
    NotSupported,

    /// <summary>The power parameters are missing or malformed.</summary>
    InvalidParameters,

    /// <summary>The BMC accepted the change but kept reporting the old state through every re-read.</summary>
    StateNotReached,
}

public sealed class PowerException(PowerErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public PowerErrorKind Kind { get; } = kind;
}
