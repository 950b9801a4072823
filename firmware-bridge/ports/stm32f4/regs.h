/* The few STM32F411 registers this port touches. Addresses and bits: RM0383 Rev 3 (STM32F411xC/E reference
 * manual); section numbers next to each block. Cortex-M4 core registers: ARM DDI 0403 (ARMv7-M ARM), B3. */
#ifndef STM32F4_REGS_H
#define STM32F4_REGS_H
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

/* RCC — RM0383 §6.3 */
#define RCC_BASE 0x40023800u
#define RCC_CR REG(RCC_BASE + 0x00u)
#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR REG(RCC_BASE + 0x04u)
#define RCC_PLLCFGR_RESERVED 0xF0BC8000u /* bits 31:28, 23, 21:18, 15 (§6.3.2) */
#define RCC_CFGR REG(RCC_BASE + 0x08u)
#define RCC_CFGR_SW_PLL 0x2u
#define RCC_CFGR_SWS_MASK (0x3u << 2)
#define RCC_CFGR_SWS_PLL (0x2u << 2)
#define RCC_CFGR_PPRE1_DIV2 (0x4u << 10)
#define RCC_AHB1ENR REG(RCC_BASE + 0x30u)
#define RCC_APB1ENR REG(RCC_BASE + 0x40u)
#define RCC_APB1ENR_TIM3EN (1u << 1)
#define RCC_APB1ENR_USART2EN (1u << 17)
#define RCC_APB1ENR_PWREN (1u << 28)
#define RCC_APB2ENR REG(RCC_BASE + 0x44u)
#define RCC_APB2ENR_USART1EN (1u << 4)
#define RCC_APB2ENR_SPI1EN (1u << 12)

/* PWR — RM0383 §5.4.1: voltage scale 1 for 100 MHz */
#define PWR_CR REG(0x40007000u)
#define PWR_CR_VOS_SCALE1 (0x3u << 14)

/* FLASH — RM0383 §3.8.1: 3 wait states at 90-100 MHz, 2.7-3.6 V (table 5) */
#define FLASH_ACR REG(0x40023C00u)
#define FLASH_ACR_LATENCY_3WS 0x3u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

/* GPIO — RM0383 §8.4 */
#define GPIO_BASE(port) (0x40020000u + 0x400u * (uint32_t)(port))
#define GPIO_MODER(port) REG(GPIO_BASE(port) + 0x00u)
#define GPIO_OSPEEDR(port) REG(GPIO_BASE(port) + 0x08u)
#define GPIO_PUPDR(port) REG(GPIO_BASE(port) + 0x0Cu)
#define GPIO_IDR(port) REG(GPIO_BASE(port) + 0x10u)
#define GPIO_BSRR(port) REG(GPIO_BASE(port) + 0x18u)
#define GPIO_AFR(port, pin) REG(GPIO_BASE(port) + 0x20u + 4u * ((uint32_t)(pin) / 8u))

/* USART — RM0383 §19.6 */
#define USART1_BASE 0x40011000u
#define USART2_BASE 0x40004400u
#define USART_SR(b) REG((b) + 0x00u)
#define USART_DR(b) REG((b) + 0x04u)
#define USART_BRR(b) REG((b) + 0x08u)
#define USART_CR1(b) REG((b) + 0x0Cu)
#define USART_CR2(b) REG((b) + 0x10u)
#define USART_CR3(b) REG((b) + 0x14u)
#define USART_SR_FE (1u << 1)
#define USART_SR_NF (1u << 2)
#define USART_SR_ORE (1u << 3)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_UE (1u << 13)

/* SPI — RM0383 §20.5 */
#define SPI1_BASE 0x40013000u
#define SPI_CR1 REG(SPI1_BASE + 0x00u)
#define SPI_SR REG(SPI1_BASE + 0x08u)
#define SPI_DR REG(SPI1_BASE + 0x0Cu)
#define SPI_CR1_MSTR (1u << 2)
#define SPI_CR1_BR_DIV16 (0x3u << 3)
#define SPI_CR1_SPE (1u << 6)
#define SPI_CR1_SSI (1u << 8)
#define SPI_CR1_SSM (1u << 9)
#define SPI_SR_TXE (1u << 1)
#define SPI_SR_BSY (1u << 7)

/* TIM3 — RM0383 §13.4 */
#define TIM3_BASE 0x40000400u
#define TIM3_CR1 REG(TIM3_BASE + 0x00u)
#define TIM3_EGR REG(TIM3_BASE + 0x14u)
#define TIM3_CCMR1 REG(TIM3_BASE + 0x18u)
#define TIM3_CCER REG(TIM3_BASE + 0x20u)
#define TIM3_PSC REG(TIM3_BASE + 0x28u)
#define TIM3_ARR REG(TIM3_BASE + 0x2Cu)
#define TIM3_CCR1 REG(TIM3_BASE + 0x34u)

/* IWDG — RM0383 §15.4 */
#define IWDG_KR REG(0x40003000u)
#define IWDG_PR REG(0x40003004u)
#define IWDG_RLR REG(0x40003008u)

/* Cortex-M4 core: SysTick (B3.3), NVIC (B3.4), SCB AIRCR (B3.2.6) */
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define NVIC_ISER(n) REG(0xE000E100u + 4u * (n))
#define SCB_AIRCR REG(0xE000ED0Cu)

/* IRQ numbers — RM0383 §10.2, table 37 (same as the STM32F405 that QEMU models) */
#define IRQ_USART1 37u
#define IRQ_USART2 38u

#endif
