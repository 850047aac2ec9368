Console.WriteLine("sample: lands with the SDK work");
