global using Shouldly;
