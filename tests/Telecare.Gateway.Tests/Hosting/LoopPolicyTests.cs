using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telecare.Core.Accounts;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hosting;

/// <summary>
/// An exception escaping a BackgroundService stops the whole host. The gateway's loops instead log a failed round,
/// back off on the injected clock and carry on, so a store that is briefly unreadable does not end the process.
/// </summary>
public sealed class LoopPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 2, 10, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_failed_round_is_logged_and_the_next_starts_after_a_doubling_back_off_until_the_loop_is_stopped()
    {
        var clock = new ManualTimeProvider(Start);
        using var logs = new LogCapture();
        var rounds = 0;
        using var stop = new CancellationTokenSource();
        var loop = LoopPolicy.RunAsync("test-loop", async cancellationToken =>
        {
            var round = Interlocked.Increment(ref rounds);
            if (round <= 3)
            {
                throw new InvalidOperationException($"round {round} failed");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
        }, clock, logs.CreateLogger("test"), stop.Token);

        await Eventually.TrueAsync(() => Volatile.Read(ref rounds) == 1, Wait, "the first round");
        foreach (var (backoff, next) in new[] { (1, 2), (2, 3), (4, 4) })
        {
            await Eventually.TrueAsync(() => logs.Contains(LogLevel.Error, $"test-loop: a round failed; trying again in {backoff} s"), Wait, $"the {backoff} s back-off");
            clock.Advance(TimeSpan.FromSeconds(backoff));
            await Eventually.TrueAsync(() => Volatile.Read(ref rounds) == next, Wait, $"round {next}");
        }

        Assert.False(loop.IsCompleted, "the loop ended after failed rounds");
        await stop.CancelAsync();
        await loop.WaitAsync(Wait);
        Assert.Equal(3, logs.Entries.Count(e => e.Level == LogLevel.Error));
    }

    [Fact]
    public async Task The_timer_loop_lives_through_a_store_it_cannot_read_and_acts_again_once_it_can()
    {
        var clock = new ManualTimeProvider(Start);
        var logs = new LogCapture();
        await using var factory = new GatewayFactory
        {
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton<ILoggerProvider>(logs);
            },
        };
        var installer = factory.ClientAs(Roles.Installer);
        await installer.PostAsync("/api/v1/devices", new StringContent("""{"type":"pendant","deviceId":"loop-pendant"}""", Encoding.UTF8, "application/json"));
        await using var console = await factory.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");
        await installer.PostAsync("/api/v1/signals", new StringContent("""{"deviceId":"loop-pendant","seq":1,"type":"pendant.press"}""", Encoding.UTF8, "application/json"));
        await console.WaitForAsync("CallRaised");

        // Every round of the timer loop reads the zones first; for a while the store cannot give them.
        Sql(factory, "ALTER TABLE zones RENAME TO zones_away");
        await clock.AdvanceUntilAsync(() => logs.Contains(LogLevel.Error, "TimerService: a round failed"), TimeSpan.FromMinutes(2), "the timer loop to fail a round");
        // Well past the 60 s answer target: nothing can be acted on while the store cannot be read.
        await clock.AdvanceToAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(90), stepSeconds: 1);
        Assert.Equal(0, console.Count("TargetBreached"));

        Sql(factory, "ALTER TABLE zones_away RENAME TO zones");
        await clock.AdvanceUntilAsync(() => console.Count("TargetBreached") > 0, TimeSpan.FromMinutes(2), "the answer-warn breach once the store reads again");

        Assert.False(factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            "the host is stopping: a failed round ended it");
        Assert.Equal("answer-warn", (await console.WaitForAsync("TargetBreached")).GetProperty("target").GetString());
    }

    private static void Sql(GatewayFactory factory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
