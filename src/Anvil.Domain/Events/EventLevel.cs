namespace Anvil.Domain.Events;

/// <summary>MAAS event levels; the numeric values are MAAS's logging levels and are persisted.</summary>
public enum EventLevel
{
    AUDIT = 0,
    DEBUG = 10,
    INFO = 20,
    WARNING = 30,
    ERROR = 40,
    CRITICAL = 50,
}
