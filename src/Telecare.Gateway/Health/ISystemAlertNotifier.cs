namespace Telecare.Gateway.Health;

/// <summary>Tells the live consoles of an alert raised or cleared; must return at once (the consoles implement it).</summary>
public interface ISystemAlertNotifier
{
    void SystemAlert(SystemAlertView alert);
}
