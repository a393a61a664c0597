// Generates Web3j wrappers for every <Name>.abi/<Name>.bin pair in a folder. Run by Maven in a
// forked JVM as a single-file program (java -cp <codegen classpath> GenerateWrappers.java ...):
// one JVM for all contracts, and the generator cannot System.exit the build.
import java.io.File;
import java.util.Arrays;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

public class GenerateWrappers {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: GenerateWrappers <artifactsDir> <outDir> <package>");
    }
    File artifacts = new File(args[0]);
    File out = new File(args[1]);
    File[] abis = artifacts.listFiles((d, n) -> n.endsWith(".abi"));
    if (abis == null || abis.length == 0) {
      throw new IllegalStateException("no .abi files in " + artifacts);
    }
    Arrays.sort(abis);
    for (File abi : abis) {
      String name = abi.getName().substring(0, abi.getName().length() - ".abi".length());
      File bin = new File(artifacts, name + ".bin");
      if (!bin.isFile()) {
        throw new IllegalStateException("missing " + bin);
      }
      // Native Java types (BigInteger, String, byte[]), 160-bit addresses.
      new SolidityFunctionWrapperGenerator(bin, abi, out, name, args[2], true, false, 160).generate();
    }
    System.out.println("generated " + abis.length + " Web3j wrappers into " + out);
  }
}
