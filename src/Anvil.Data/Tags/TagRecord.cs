namespace Anvil.Data.Tags;

public sealed record TagRecord(long Id, string Name, string Definition, string Comment, string KernelOpts);
