using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Signals;

/// <summary>
/// Committed signals on their way to triage. Bounded: when triage falls behind, the sink waits rather than
/// dropping (a signal in here is already durable; on a restart, untriaged signals are read back from the store).
/// </summary>
public sealed class TriageQueue
{
    private readonly Channel<StoredSignal> _channel;

    public TriageQueue(IOptions<SignalOptions> options)
    {
        _channel = Channel.CreateBounded<StoredSignal>(new BoundedChannelOptions(options.Value.TriageQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public ChannelReader<StoredSignal> Reader => _channel.Reader;

    public ChannelWriter<StoredSignal> Writer => _channel.Writer;

    public int Depth => _channel.Reader.Count;
}
