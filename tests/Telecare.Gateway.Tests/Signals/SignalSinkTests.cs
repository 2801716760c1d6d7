using System.Text;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Signals;

public sealed class SignalSinkTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
    private StoreFixture _store = null!;
    private readonly RecordingTriage _triage = new();
    private SignalSink _sink = null!;

    public Task InitializeAsync()
    {
        _store = new StoreFixture();
        var options = Options.Create(new SignalOptions { DedupeWindowSeconds = 60 });
        _sink = new SignalSink(_store.Writer, new Telecare.Gateway.Store.SqliteSignalStore(new Telecare.Gateway.Store.ReadModels.RegistryChangeTracker(new Telecare.Gateway.ReadModels.RegistryReadModel())), _triage, new SignalMetrics(_store.Meters), options, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static IncomingSignal Mqtt(string device, long? seq, string type = EventTypes.PendantPress, string raw = "{}") => new()
    {
        Source = SignalSource.Mqtt,
        DeviceRef = device,
        Sequence = seq,
        EventType = type,
        RawFrame = Encoding.UTF8.GetBytes(raw),
    };

    [Fact]
    public async Task A_receipt_means_the_signal_and_its_raw_frame_are_stored()
    {
        var receipt = await _sink.SubmitAsync(Mqtt("pendant-1", 17, raw: """{"seq":17,"type":"pendant.press"}"""));

        Assert.False(receipt.Duplicate);
        Assert.Equal(_time.GetUtcNow(), receipt.ReceivedAt);
        Assert.Equal(1, _store.Scalar($"SELECT COUNT(*) FROM signals WHERE id = {receipt.SignalId} AND sequence = 17 AND event_type = 'pendant.press'"));
        Assert.Equal(33, _store.Scalar($"SELECT length(raw_frame) FROM signals WHERE id = {receipt.SignalId}"));
    }

    [Fact]
    public async Task The_same_sequence_from_the_same_device_is_stored_once_and_gets_the_first_receipt()
    {
        var first = await _sink.SubmitAsync(Mqtt("pendant-1", 5));
        _time.Advance(TimeSpan.FromHours(5));
        var again = await _sink.SubmitAsync(Mqtt("pendant-1", 5, raw: "{\"resent\":true}"));
        var otherDevice = await _sink.SubmitAsync(Mqtt("pendant-2", 5));

        Assert.True(again.Duplicate);
        Assert.Equal(first.SignalId, again.SignalId);
        Assert.Equal(first.ReceivedAt, again.ReceivedAt);
        Assert.False(otherDevice.Duplicate);
        Assert.Equal(2, _store.Scalar("SELECT COUNT(*) FROM signals"));
    }

    [Fact]
    public async Task Copies_in_one_batch_are_stored_once()
    {
        var receipts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _sink.SubmitAsync(Mqtt("pendant-9", 1)).AsTask()));

        Assert.Single(receipts, r => !r.Duplicate);
        Assert.All(receipts, r => Assert.Equal(receipts[0].SignalId, r.SignalId));
        Assert.Equal(1, _store.Scalar("SELECT COUNT(*) FROM signals"));
    }

    [Fact]
    public async Task Without_a_sequence_the_raw_frame_hash_dedupes_within_the_window_only()
    {
        var line = "5011 181234E10101001\u0014";
        var first = await _sink.SubmitAsync(Mqtt("01/1234", null, raw: line) with { Source = SignalSource.Serial });
        _time.Advance(TimeSpan.FromSeconds(59));
        var inWindow = await _sink.SubmitAsync(Mqtt("01/1234", null, raw: line) with { Source = SignalSource.Serial });
        _time.Advance(TimeSpan.FromSeconds(2));
        var afterWindow = await _sink.SubmitAsync(Mqtt("01/1234", null, raw: line) with { Source = SignalSource.Serial });

        Assert.True(inWindow.Duplicate);
        Assert.Equal(first.SignalId, inWindow.SignalId);
        Assert.False(afterWindow.Duplicate);
        Assert.Equal(2, _store.Scalar("SELECT COUNT(*) FROM signals"));
    }

    [Fact]
    public async Task A_rejected_signal_is_stored_with_its_reason_and_not_sent_to_triage()
    {
        var receipt = await _sink.SubmitAsync(new IncomingSignal
        {
            Source = SignalSource.Mqtt,
            DeviceRef = "pendant-1",
            RawFrame = "{not json"u8.ToArray(),
            RejectionReason = "malformed JSON",
        });

        Assert.False(receipt.Duplicate);
        Assert.Equal(1, _store.Scalar("SELECT COUNT(*) FROM signals WHERE rejection_reason = 'malformed JSON' AND raw_frame = CAST('{not json' AS BLOB)"));
        Assert.Empty(_triage.Signals);
    }

    [Fact]
    public async Task Only_new_accepted_signals_go_to_triage()
    {
        var first = await _sink.SubmitAsync(Mqtt("pendant-1", 1));
        await _sink.SubmitAsync(Mqtt("pendant-1", 1));

        var stored = Assert.Single(_triage.Signals);
        Assert.Equal(first.SignalId, stored.Id);
        Assert.Equal(EventTypes.PendantPress, stored.EventType);
    }

    [Fact]
    public async Task A_triage_that_throws_leaves_the_signal_stored_untriaged_and_acknowledged()
    {
        _triage.Throw = new InvalidOperationException("a rule broke");

        var receipt = await _sink.SubmitAsync(Mqtt("pendant-1", 3));

        Assert.False(receipt.Duplicate);
        Assert.Equal(1, _store.Scalar($"SELECT COUNT(*) FROM signals WHERE id = {receipt.SignalId} AND triaged = 0"));
        var failed = Assert.Single(_triage.Failures);
        Assert.Equal(receipt.SignalId, failed.Signal.Id);
        Assert.Same(_triage.Throw, failed.Error);
    }

    /// <summary>What the sink hands to triage, inside its own writer unit.</summary>
    private sealed class RecordingTriage : ISignalTriage
    {
        public List<StoredSignal> Signals { get; } = [];

        public List<(StoredSignal Signal, Exception Error)> Failures { get; } = [];

        public Exception? Throw { get; set; }

        public void TriageNew(Telecare.Core.Store.IStoreUnit unit, StoredSignal signal)
        {
            Signals.Add(signal);
            if (Throw is not null)
            {
                throw Throw;
            }
        }

        public void Failed(Telecare.Core.Store.IStoreUnit unit, StoredSignal signal, Exception error) => Failures.Add((signal, error));
    }
}
