Console.WriteLine("firmware-sim: no modes yet");
return 0;
