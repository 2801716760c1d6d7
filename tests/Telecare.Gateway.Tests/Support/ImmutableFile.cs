using System.Diagnostics;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Support;

/// <summary>
/// Makes a file immutable with <c>chattr +i</c> until disposed: the kernel then refuses every write to it, also through
/// descriptors already open and also for root (who ignores file permissions, so chmod would prove nothing). On the
/// store's WAL this is a disk that stops taking writes, and <c>chattr -i</c> is the disk coming back.
/// </summary>
public sealed class ImmutableFile : IDisposable
{
    private readonly string _chattr;
    private bool _immutable;

    private ImmutableFile(string path, string chattr)
    {
        Path = path;
        _chattr = chattr;
    }

    public string Path { get; }

    public static ImmutableFile Make(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist (yet)", path);
        }

        var file = new ImmutableFile(path, MqttTestProcess.Find("chattr", "e2fsprogs"));
        file.Set(true);
        return file;
    }

    /// <summary>Lets writes through again.</summary>
    public void Release()
    {
        if (_immutable)
        {
            Set(false);
        }
    }

    public void Dispose() => Release();

    private void Set(bool immutable)
    {
        using var process = Process.Start(new ProcessStartInfo(_chattr, [immutable ? "+i" : "-i", Path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"chattr {(immutable ? "+i" : "-i")} {Path} failed ({error.Trim()}): this test needs a filesystem with the immutable attribute " +
                "(ext4, xfs, btrfs) under the temp folder and CAP_LINUX_IMMUTABLE (root)");
        }

        _immutable = immutable;
    }
}
