/** What the node's request/response servers share: {@link SerialWork}. */
package io.layerproof.node.serving;
