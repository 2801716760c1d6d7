using System.IO.Pipelines;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>Two in-memory pipes crossed over: what one end writes, the other reads.</summary>
internal sealed class DuplexPipePair
{
    private readonly Pipe _aToB = new();
    private readonly Pipe _bToA = new();

    public DuplexPipePair()
    {
        A = new End(_bToA.Reader, _aToB.Writer);
        B = new End(_aToB.Reader, _bToA.Writer);
    }

    public IDuplexPipe A { get; }

    public IDuplexPipe B { get; }

    private sealed record End(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
