/**
 * The sidecart storefront widget: <sidecart-also-bought>, <sidecart-upgrades>, <sidecart-bundle> and
 * <sidecart-cart>, served by the worker at /widget/v1/sidecart.js. No framework, no dependencies.
 */
import "./elements.js";
