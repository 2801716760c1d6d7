namespace Telecare.Protocols.Receivers;

/// <summary>Why a Contact ID report was refused; <see cref="Reason"/> is a short stable token.</summary>
public sealed record ContactIdParseError(string Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}
