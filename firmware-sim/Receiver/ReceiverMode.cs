using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>
/// <c>firmware-sim receiver --device PATH [--dialect SurGardMlr2|Ademco685] [--account 1234]
/// [--events N] [--code 101] [--interval-ms 1000] [--heartbeat-s 30] [--ack-timeout-ms 4000]</c>:
/// emulates an alarm receiver on a serial device (one end of a socat pty pair, say), sends N events,
/// prints each acknowledged line, and exits when all are acknowledged (N = 0 runs until Ctrl+C).
/// </summary>
public static class ReceiverMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var opts = CommandLine.Options(args);
        if (opts is null || !opts.TryGetValue("device", out var device))
        {
            Console.Error.WriteLine("usage: firmware-sim receiver --device PATH [--dialect SurGardMlr2|Ademco685] [--account 1234] [--events N] [--code 101] [--interval-ms 1000] [--heartbeat-s 30] [--ack-timeout-ms 4000]");
            return 2;
        }

        try
        {
            var dialect = Enum.Parse<ReceiverDialect>(opts.GetValueOrDefault("dialect", nameof(ReceiverDialect.SurGardMlr2)), ignoreCase: true);
            var account = opts.GetValueOrDefault("account", "1234");
            var events = CommandLine.Int(opts, "events", 1);
            var code = CommandLine.Int(opts, "code", 101);
            var interval = TimeSpan.FromMilliseconds(CommandLine.Int(opts, "interval-ms", 1000));
            var options = new ReceiverEmulatorOptions
            {
                Dialect = dialect,
                HeartbeatInterval = TimeSpan.FromSeconds(CommandLine.Int(opts, "heartbeat-s", 30)),
                AckTimeout = TimeSpan.FromMilliseconds(CommandLine.Int(opts, "ack-timeout-ms", 4000)),
            };

            using var cts = CommandLine.CancelOnCtrlC();

            var settings = options.PortSettings(device);
            await using var port = LinuxSerialPort.Open(settings);
            Console.WriteLine($"receiver {dialect} on {settings}");
            var emulator = new ReceiverEmulator(port, options);
            var run = emulator.RunAsync(cts.Token);
            var printed = 0;

            for (var i = 0; i < events && !cts.IsCancellationRequested; i++)
            {
                if (!emulator.TryEnqueue(new ReceiverEmulatorEvent(account, ContactIdQualifier.New, code, 1, i % 1000)))
                {
                    Console.Error.WriteLine("receiver buffer full (127 messages): the computer is not acknowledging");
                }

                await Task.Delay(interval, cts.Token).ConfigureAwait(false);
                printed = Print(emulator, printed);
            }

            if (events > 0)
            {
                while (!cts.IsCancellationRequested && emulator.Ledger.Count(e => e.Kind == ReceiverFrameKind.Event) < events && !run.IsCompleted)
                {
                    await Task.WhenAny(emulator.WaitForLedgerAsync(printed + 1, cts.Token), run).ConfigureAwait(false);
                    printed = Print(emulator, printed);
                }

                await cts.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Print(emulator, printed);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"receiver: {ex.Message}");
            return 1;
        }
    }

    private static int Print(ReceiverEmulator emulator, int printed)
    {
        var ledger = emulator.Ledger;
        for (; printed < ledger.Count; printed++)
        {
            var e = ledger[printed];
            Console.WriteLine($"acknowledged {e.Kind} '{e.Text.TrimEnd()}' after {e.Transmissions} transmission(s)");
        }

        return printed;
    }
}
