namespace Anvil.Dns.Bind;

/// <summary>named exited or did not answer after it was started; the message carries the end of its log.</summary>
public sealed class NamedStartException : Exception
{
    public NamedStartException()
    {
    }

    public NamedStartException(string message)
        : base(message)
    {
    }

    public NamedStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
