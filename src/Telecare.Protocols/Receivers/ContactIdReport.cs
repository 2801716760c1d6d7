namespace Telecare.Protocols.Receivers;

/// <summary>
/// One Contact ID report (SIA DC-05): <c>ACCT MT Q XYZ GG CCC [S]</c>.
/// <see cref="Checksum"/> is the checksum character as sent, or <c>null</c> when the source
/// does not carry one (receiver serial outputs drop it after checking it on the phone line).
/// </summary>
public readonly record struct ContactIdReport(
    string Account,
    int MessageType,
    ContactIdQualifier Qualifier,
    int EventCode,
    int Group,
    int ZoneOrUser,
    char? Checksum = null)
{
    /// <summary>True when the qualifier says the condition cleared.</summary>
    public bool IsRestore => Qualifier == ContactIdQualifier.Restore;

    /// <summary>The 16-character report with its computed checksum, e.g. <c>123418110101001B</c>.</summary>
    public override string ToString() =>
        ContactId.TryFormat(this, out var text) ? text : $"invalid Contact ID report ({Account}, {EventCode}, {Qualifier})";
}
