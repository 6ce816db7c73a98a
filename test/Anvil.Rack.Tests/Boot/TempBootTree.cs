namespace Anvil.Rack.Tests.Boot;

/// <summary>
/// A fresh directory holding a boot-resources root (<see cref="Root"/>) and, beside it, a file
/// outside the root (<see cref="OutsideFile"/>) for escape attempts to aim at. Removed on dispose.
/// </summary>
internal sealed class TempBootTree : IDisposable
{
    public TempBootTree()
    {
        Base = Directory.CreateTempSubdirectory("anvil-boot-").FullName;
        Root = Path.Combine(Base, "root");
        Directory.CreateDirectory(Root);
        OutsideFile = Path.Combine(Base, "secret.txt");
        File.WriteAllText(OutsideFile, "outside the root");
    }

    public string Base { get; }

    public string Root { get; }

    public string OutsideFile { get; }

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public byte[] Write(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return content;
    }

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
