package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.Eip712.address;
import static io.layerproof.chain.contracts.Eip712.uint;

import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

/**
 * EIP-2612 permits for ComputeToken (domain "Layerproof Compute", version "1"), e.g. for
 * JobMarket.depositWithPermit: approve and deposit in one transaction.
 */
public final class TokenPermit {

  public static final String NAME = "Layerproof Compute";
  public static final String VERSION = "1";
  private static final byte[] PERMIT_TYPEHASH =
      Eip712.keccak(
          "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

  private TokenPermit() {}

  public static byte[] digest(
      long chainId,
      String token,
      String owner,
      String spender,
      BigInteger value,
      BigInteger nonce,
      BigInteger deadline) {
    byte[] structHash =
        Eip712.structHash(
            PERMIT_TYPEHASH,
            address(owner),
            address(spender),
            uint(value),
            uint(nonce),
            uint(deadline));
    return Eip712.digest(Eip712.domainSeparator(NAME, VERSION, chainId, token), structHash);
  }

  /** The owner's signature; pass getV()[0], getR(), getS() to permit/depositWithPermit. */
  public static Sign.SignatureData sign(
      long chainId,
      String token,
      Credentials owner,
      String spender,
      BigInteger value,
      BigInteger nonce,
      BigInteger deadline) {
    return Eip712.signDigest(
        digest(chainId, token, owner.getAddress(), spender, value, nonce, deadline), owner);
  }
}
