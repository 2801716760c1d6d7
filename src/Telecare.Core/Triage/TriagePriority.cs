namespace Telecare.Core.Triage;

/// <summary>P1 is an emergency (a person may be on the floor); P5 is information only.</summary>
public enum TriagePriority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
    P5 = 5,
}
