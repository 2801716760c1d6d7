if (args.Length > 0 && args[0] == "receiver")
{
    return await Telecare.FirmwareSim.Receiver.ReceiverMode.RunAsync(args[1..]);
}

Console.WriteLine("firmware-sim: no modes yet");
return 0;
