using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Benchmarks;

/// <summary>
/// Triage of one signal against the default rules from the root appsettings.json. The budget is zero
/// allocated bytes per operation (the budget is in README "Performance"): check the Allocated column.
/// </summary>
[MemoryDiagnoser]
public class TriageBenchmarks
{
    private static readonly DateTimeOffset Night = new(2026, 1, 14, 23, 30, 0, TimeSpan.Zero);

    private CompiledTriageRules _rules = null!;
    private TriageEnrichment _resident;
    private TriageEnrichment _unknown;
    private string[] _events = [];

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TelecareGateway.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Run the benchmarks from inside the repository: TelecareGateway.sln not found above " + AppContext.BaseDirectory);
        }

        var options = new ConfigurationBuilder().AddJsonFile(Path.Combine(dir.FullName, "appsettings.json")).Build()
            .GetSection(TriageOptions.SectionName).Get<TriageOptions>() ?? throw new InvalidOperationException("no Triage section");
        _rules = TriageRuleCompiler.Compile(options);
        _resident = new TriageEnrichment
        {
            DeviceKnown = true,
            DeviceType = "hub",
            ResidentId = "res-1",
            Zone = "Devizes",
            ResidentFlags = ["falls-risk", "dementia"],
        };
        _unknown = TriageEnrichment.UnknownDevice;
        _events = [.. EventTypes.All];
    }

    /// <summary>The common case: a pendant press, the first rule checks an open call and falls through.</summary>
    [Benchmark(Baseline = true)]
    public TriageDecision PendantPress() => _rules.Triage(EventTypes.PendantPress, false, Night, in _resident);

    /// <summary>A rule with a resident flag and a local time window (time zone conversion on the hot path).</summary>
    [Benchmark]
    public TriageDecision DoorExitAtNight() => _rules.Triage(EventTypes.DoorExit, false, Night, in _resident);

    [Benchmark]
    public TriageDecision UnknownDevice() => _rules.Triage(EventTypes.PendantPress, false, Night, in _unknown);

    /// <summary>Every event in the vocabulary once (26 triages per operation).</summary>
    [Benchmark]
    public int WholeVocabulary()
    {
        var sum = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            sum += (int)_rules.Triage(_events[i], false, Night, in _resident).Priority;
        }

        return sum;
    }
}
