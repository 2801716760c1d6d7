using BenchmarkDotNet.Running;

namespace Telecare.Benchmarks;

internal static class BenchmarkEntry
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
}
