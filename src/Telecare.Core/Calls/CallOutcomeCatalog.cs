namespace Telecare.Core.Calls;

/// <summary>The outcome codes a call may be resolved with. Configurable; <see cref="Default"/> is the built-in list.</summary>
public sealed class CallOutcomeCatalog
{
    public const string NoAssistanceNeeded = "no-assistance-needed";
    public const string ResidentAssisted = "resident-assisted";
    public const string LiftedNoInjury = "lifted-no-injury";
    public const string LiftedWithInjury = "lifted-with-injury";
    public const string AmbulanceCalled = "ambulance-called";
    public const string FireServiceCalled = "fire-service-called";
    public const string PoliceCalled = "police-called";
    public const string FalseAlarm = "false-alarm";
    public const string AccidentalActivation = "accidental-activation";
    public const string NoAccess = "no-access";
    public const string CancelledByResident = "cancelled-by-resident";
    public const string KeyholderAttended = "keyholder-attended";
    public const string TechnicalFaultFixed = "technical-fault-fixed";
    public const string TechnicalVisitBooked = "technical-visit-booked";

    private readonly Dictionary<string, CallOutcome> _byCode;

    public CallOutcomeCatalog(IEnumerable<CallOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        _byCode = new Dictionary<string, CallOutcome>(StringComparer.OrdinalIgnoreCase);
        var list = new List<CallOutcome>();
        foreach (var o in outcomes)
        {
            if (string.IsNullOrWhiteSpace(o.Code))
            {
                throw new ArgumentException("an outcome has an empty code", nameof(outcomes));
            }

            if (!_byCode.TryAdd(o.Code, o))
            {
                throw new ArgumentException($"outcome code '{o.Code}' appears twice", nameof(outcomes));
            }

            list.Add(o);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("at least one outcome is required", nameof(outcomes));
        }

        All = list;
    }

    public static CallOutcomeCatalog Default { get; } = new(
    [
        new(NoAssistanceNeeded, "No assistance needed"),
        new(ResidentAssisted, "Resident assisted"),
        new(LiftedNoInjury, "Lifted, no injury"),
        new(LiftedWithInjury, "Lifted, injury noted"),
        new(AmbulanceCalled, "Ambulance called"),
        new(FireServiceCalled, "Fire service called"),
        new(PoliceCalled, "Police called"),
        new(FalseAlarm, "False alarm", IsFalseAlarm: true),
        new(AccidentalActivation, "Accidental activation", IsFalseAlarm: true),
        new(NoAccess, "No access to the home"),
        new(CancelledByResident, "Cancelled by resident, call-back made"),
        new(KeyholderAttended, "Keyholder attended"),
        new(TechnicalFaultFixed, "Technical fault fixed"),
        new(TechnicalVisitBooked, "Technical visit booked"),
    ]);

    public IReadOnlyList<CallOutcome> All { get; }

    public bool TryGet(string? code, out CallOutcome outcome)
    {
        outcome = null!;
        return code is not null && _byCode.TryGetValue(code, out outcome!);
    }
}
