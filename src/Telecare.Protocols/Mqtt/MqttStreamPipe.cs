using System.IO.Pipelines;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// A stream (socket or TLS) seen as an <see cref="IDuplexPipe"/> with small buffers. Zero-byte reads wait for data before
/// renting a buffer, so an idle connection holds none (about 2 KB less per idle device).
/// </summary>
internal sealed class MqttStreamPipe(Stream stream) : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 2048, minimumReadSize: 512, leaveOpen: true, useZeroByteReads: true));
    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 512, leaveOpen: true));
}
