Console.WriteLine("bench: serialization lands with the wire form");
