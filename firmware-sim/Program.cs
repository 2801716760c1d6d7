if (args.Length > 0 && args[0] == "receiver")
{
    return await Telecare.FirmwareSim.Receiver.ReceiverMode.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "devices")
{
    return await Telecare.FirmwareSim.Devices.DevicesMode.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "soak")
{
    return await Telecare.FirmwareSim.Soak.SoakMode.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "demo")
{
    return await Telecare.FirmwareSim.Demo.DemoMode.RunAsync(args[1..]);
}

Console.Error.WriteLine("usage: firmware-sim demo|devices|receiver|soak [options] (demo: a scripted night against a gateway started with --demo; soak: crash-loop the gateway under load; soak fuzz: a long fuzz run against it)");
return 2;
