namespace Anvil.Dns.Bind;

/// <summary>An rndc command failed; the message carries rndc's own output.</summary>
public sealed class RndcException : Exception
{
    public RndcException()
    {
    }

    public RndcException(string message)
        : base(message)
    {
    }

    public RndcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
