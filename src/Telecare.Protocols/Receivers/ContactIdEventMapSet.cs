namespace Telecare.Protocols.Receivers;

/// <summary>
/// Chooses the code table for a report: an account on a given receiver, then the account on any
/// receiver, then the receiver, then the default. Account keys are either <c>"{account}"</c> or
/// <c>"{receiverId}/{account}"</c>. Immutable after construction.
/// </summary>
public sealed class ContactIdEventMapSet
{
    private readonly ContactIdEventMap _default;
    private readonly Dictionary<string, ContactIdEventMap> _receivers;
    private readonly Dictionary<string, ContactIdEventMap> _accounts;

    public ContactIdEventMapSet(
        ContactIdEventMap? defaultMap = null,
        IReadOnlyDictionary<string, ContactIdEventMap>? receivers = null,
        IReadOnlyDictionary<string, ContactIdEventMap>? accounts = null)
    {
        _default = defaultMap ?? ContactIdEventMap.Default;
        _receivers = new Dictionary<string, ContactIdEventMap>(receivers ?? new Dictionary<string, ContactIdEventMap>(), StringComparer.Ordinal);
        _accounts = new Dictionary<string, ContactIdEventMap>(accounts ?? new Dictionary<string, ContactIdEventMap>(), StringComparer.Ordinal);
    }

    /// <summary>The map that applies to <paramref name="account"/> on <paramref name="receiverId"/>.</summary>
    public ContactIdEventMap For(string? receiverId, string? account)
    {
        if (account is not null)
        {
            if (receiverId is not null && _accounts.TryGetValue($"{receiverId}/{account}", out var exact))
            {
                return exact;
            }

            if (_accounts.TryGetValue(account, out var anyReceiver))
            {
                return anyReceiver;
            }
        }

        if (receiverId is not null && _receivers.TryGetValue(receiverId, out var receiver))
        {
            return receiver;
        }

        return _default;
    }

    /// <summary>Translates one code for an account on a receiver.</summary>
    public bool TryMap(string? receiverId, string? account, int code, ContactIdQualifier qualifier, out ContactIdEvent result) =>
        For(receiverId, account).TryMap(code, qualifier, out result);
}
