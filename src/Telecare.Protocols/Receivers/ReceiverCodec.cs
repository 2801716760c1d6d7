namespace Telecare.Protocols.Receivers;

/// <summary>Creates the codec for a configured dialect.</summary>
public static class ReceiverCodec
{
    public static IReceiverCodec Create(ReceiverDialect dialect, int maxLineLength = LineReceiverCodec.DefaultMaxLineLength) =>
        dialect switch
        {
            ReceiverDialect.SurGardMlr2 => new SurGardMlr2Codec(maxLineLength),
            ReceiverDialect.Ademco685 => new Ademco685Codec(maxLineLength),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "unknown receiver dialect"),
        };
}
